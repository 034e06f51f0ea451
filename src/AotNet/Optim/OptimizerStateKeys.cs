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

    /// <summary>Checks the grouping matches and reads every group's hyperparameters.</summary>
    public static GroupHyperparameters[] ReadGroups(OptimizerState state, ReadOnlySpan<ParameterGroup> groups)
    {
        double count = state.Scalar(GroupCount);
        if (count != groups.Length)
        {
            throw new ArgumentException($"The state has {count} parameter groups; this optimizer has {groups.Length}.", nameof(state));
        }
        var result = new GroupHyperparameters[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            double size = state.Scalar(GroupHyperparameters.Key(g, "params"));
            if (size != groups[g].Parameters.Count)
            {
                throw new ArgumentException($"Group {g} of the state has {size} parameters; this optimizer's group {g} has {groups[g].Parameters.Count}.", nameof(state));
            }
            result[g] = GroupHyperparameters.Read(g, state.Scalars);
        }
        foreach (var key in state.Scalars.Keys)
        {
            if (key.StartsWith("group.", StringComparison.Ordinal) && key != GroupCount)
            {
                int dot = key.IndexOf('.', 6);
                if (dot < 0 || !int.TryParse(key.AsSpan(6, dot - 6), NumberStyles.None, CultureInfo.InvariantCulture, out int g) || g >= groups.Length)
                {
                    throw new ArgumentException($"State scalar '{key}' names no group of this optimizer ({groups.Length} groups).", nameof(state));
                }
            }
            else if (key != GroupCount && !key.StartsWith("state.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"State scalar '{key}' is neither 'group.*' nor 'state.*'.", nameof(state));
            }
        }
        return result;
    }

    /// <summary>Parses <c>state.{i}.{name}</c>, checking <c>i</c> names a parameter.</summary>
    public static int ParseParameterKey(string key, int parameterCount, out string name)
    {
        int dot = key.StartsWith("state.", StringComparison.Ordinal) ? key.IndexOf('.', 6) : -1;
        if (dot < 0 || !int.TryParse(key.AsSpan(6, dot - 6), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new ArgumentException($"State key '{key}' is not of the form 'state.{{parameter index}}.{{name}}'.", "state");
        }
        if (index >= parameterCount)
        {
            throw new ArgumentException($"State key '{key}' names parameter {index}, but the optimizer has {parameterCount} parameters.", "state");
        }
        name = key[(dot + 1)..];
        return index;
    }
}
