using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>Writes <c>VisitMembers</c>, which lists a module's parameters and children without reflection.</summary>
internal static class ModuleEmitter
{
    public static GeneratedFile Emit(ModuleTypeSpec module)
    {
        var writer = TypeScope.Begin(module.Type);
        writer.Line("/// <summary>Shows this module's parameters and child modules, in declaration order, with their PyTorch-style names.</summary>");
        writer.Open("public override void VisitMembers(global::AotNet.IModuleVisitor visitor)");
        if (module.VisitsBase)
        {
            writer.Line("base.VisitMembers(visitor);");
        }
        foreach (var member in module.Members)
        {
            string access = "this." + Names.Escape(member.Name);
            string name = Literals.String(member.StateName ?? member.Name);
            // An empty state name lists the child's members as this module's own, as PyTorch names a chain's layers.
            bool transparent = member.StateName is { Length: 0 };
            string visit = transparent && member.Kind != MemberKind.ModuleArray ? $"{access}.VisitMembers(visitor);" : member.Kind switch
            {
                MemberKind.ModuleArray => $"global::AotNet.ModuleArrays.Visit(visitor, {name}, {access});",
                MemberKind.Module => $"visitor.Module({name}, {access});",
                _ => $"visitor.Parameter({name}, {access});",
            };
            if (member.IsNullable && member.Kind != MemberKind.ModuleArray)
            {
                writer.Open($"if ({access} is not null)");
                writer.Line(visit);
                writer.Close();
            }
            else
            {
                writer.Line(visit);
            }
        }
        writer.Close();
        return new GeneratedFile(module.Type.HintPrefix + ".Members.g.cs", TypeScope.End(writer, module.Type));
    }
}
