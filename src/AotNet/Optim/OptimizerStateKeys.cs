using System.Globalization;

namespace AotNet;

/// <summary>Builds and parses the keys of <see cref="OptimizerState"/>.</summary>
static class OptimizerStateKeys
{
    public const string GroupCount = "group.count";

    public static string Buffer(int index, string name) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{name}");

    public static string Step(int index) => Buffer(index, "step");

    public static void SaveGroups(ReadOnlySpan<ParameterGroup> groups, IDictionary<string, double> scalars)
    {
        scalars.Add(GroupCount, groups.Length);
        for (int g = 0; g < groups.Length; g++)
        {
            scalars.Add(GroupHyperparameters.Key(g, "params"), groups[g].Parameters.Count);
            GroupHyperparameters.Capture(groups[g]).Save(g, scalars);
        }
    }

    /// <summary>Checks the grouping matches and reads and checks every group's hyperparameters.</summary>
    public static GroupHyperparameters[] ReadGroups(OptimizerState state, ReadOnlySpan<ParameterGroup> groups, StateFaults faults, bool scheduled)
    {
        double count = faults.Require(state, GroupCount);
        if (count != groups.Length)
        {
            throw faults.Key(GroupCount, $"is {count}: the state has {count} parameter groups; this optimizer has {groups.Length}");
        }
        var result = new GroupHyperparameters[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            string key = GroupHyperparameters.Key(g, "params");
            double size = faults.Require(state, key);
            if (size != groups[g].Parameters.Count)
            {
                throw faults.Key(key, $"is {size}: group {g} of the state has {size} parameters; this optimizer's group {g} has {groups[g].Parameters.Count}");
            }
            result[g] = GroupHyperparameters.Read(g, state.Scalars, faults, scheduled);
        }
        foreach (var key in state.Scalars.Keys)
        {
            if (key.StartsWith("group.", StringComparison.Ordinal) && key != GroupCount)
            {
                int dot = key.IndexOf('.', 6);
                if (dot < 0 || !int.TryParse(key.AsSpan(6, dot - 6), NumberStyles.None, CultureInfo.InvariantCulture, out int g) || g >= groups.Length)
                {
                    throw faults.Key(key, $"names no group of this optimizer ({groups.Length} groups)");
                }
            }
            else if (key != GroupCount && !key.StartsWith("state.", StringComparison.Ordinal))
            {
                throw faults.Key(key, "is neither 'group.*' nor 'state.*'");
            }
        }
        return result;
    }

    /// <summary>Parses <c>state.{i}.{name}</c>, checking <c>i</c> names a parameter.</summary>
    public static int ParseParameterKey(string key, int parameterCount, StateFaults faults, out string name)
    {
        int dot = key.StartsWith("state.", StringComparison.Ordinal) ? key.IndexOf('.', 6) : -1;
        if (dot < 0 || !int.TryParse(key.AsSpan(6, dot - 6), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw faults.Key(key, "is not of the form 'state.{parameter index}.{name}'");
        }
        if (index >= parameterCount)
        {
            throw faults.Key(key, $"names parameter {index}, but the optimizer has {parameterCount} parameters");
        }
        name = key[(dot + 1)..];
        return index;
    }
}
