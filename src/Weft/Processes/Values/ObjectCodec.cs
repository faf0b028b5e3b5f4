using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Weft.Processes;

/// <summary>
/// A class or struct of the application (or a tuple) as every instance field it and its base classes declare, public
/// or private, in declaration order: the object's whole state, as pickle copies an object's <c>__dict__</c>. Nothing
/// is read through properties or rebuilt through constructors, so <c>[JsonIgnore]</c>, <c>new</c>-shadowed and
/// get-only properties and private fields all arrive as they left; computed properties are computed again. Fields
/// marked <see cref="NonSerializedAttribute"/> are left out and arrive as their default, as the attribute says.
/// </summary>
/// <typeparam name="T">The declared type; an instance of a subclass is refused when it is met.</typeparam>
internal sealed class ObjectCodec<T> : ValueCodec<T>
{
    private readonly MemberCodec<T>[] _members;
    private readonly bool _mayBeSubclassed = !typeof(T).IsValueType && !typeof(T).IsSealed;

    public ObjectCodec(MemberCodec<T>[] members) => _members = members;

    public override void Link(Func<Type, ValueCodec> codecOf)
    {
        foreach (var member in _members)
        {
            member.Link(codecOf);
        }
    }

    public override void Write(ValueWriter writer, T value)
    {
        if (!typeof(T).IsValueType)
        {
            if (value is null)
            {
                writer.WriteByte(0);
                return;
            }

            if (_mayBeSubclassed && value.GetType() != typeof(T))
            {
                throw new CrossingRefusedException(
                    $"a {ValueTypes.Describe(value.GetType())} declared as {ValueTypes.Describe(typeof(T))} cannot cross: it would arrive as a " +
                    $"plain {typeof(T).Name}, without its own members. Declare the exact type (a sealed class says so for good).");
            }

            writer.WriteByte(1);
        }
        else if (_members.Length == 0)
        {
            writer.WriteByte(0);   // every value takes at least one byte, so a count can be checked against what is left
            return;
        }

        writer.Enter(typeof(T));
        foreach (var member in _members)
        {
            member.Write(writer, ref value);
        }

        writer.Exit();
    }

    [UnconditionalSuppressMessage("Trimming", "IL2087", Justification = "Codecs exist only in untrimmed apps (Wire.FullCodec), where " +
        "every constructor is kept; none is called anyway: the fields are set one by one.")]
    public override T Read(ref ValueReader reader)
    {
        T value;
        if (typeof(T).IsValueType)
        {
            value = default!;
            if (_members.Length == 0)
            {
                reader.ReadByte();
                return value;
            }
        }
        else if (!reader.ReadPresence())
        {
            return default!;
        }
        else
        {
            value = (T)RuntimeHelpers.GetUninitializedObject(typeof(T));
        }

        reader.Enter();
        foreach (var member in _members)
        {
            member.Read(ref reader, ref value);
        }

        reader.Exit();
        return value;
    }
}

/// <summary>One field of a <typeparamref name="TOwner"/>, read and written through a by-ref accessor.</summary>
internal abstract class MemberCodec<TOwner>
{
    public abstract void Link(Func<Type, ValueCodec> codecOf);

    public abstract void Write(ValueWriter writer, ref TOwner owner);

    public abstract void Read(ref ValueReader reader, ref TOwner owner);
}

/// <summary>Gets a field of an owner passed by reference (a struct is not copied, a class is the reference).</summary>
internal delegate TField FieldGetter<TOwner, TField>(ref TOwner owner);

/// <summary>Sets a field, readonly ones included, of an owner passed by reference.</summary>
internal delegate void FieldSetter<TOwner, TField>(ref TOwner owner, TField value);

/// <summary>A field as its own codec's bytes, with accessors emitted once per field (reflection's GetValue/SetValue box
/// and are several times slower).</summary>
[RequiresDynamicCode("Emits field accessors; made only where a JIT runs (Wire.FullCodec).")]
internal sealed class FieldCodec<TOwner, TField> : MemberCodec<TOwner>
{
    private readonly string _name;
    private readonly FieldGetter<TOwner, TField> _get;
    private readonly FieldSetter<TOwner, TField> _set;
    private ValueCodec<TField> _codec = null!;

    public FieldCodec(FieldInfo field, string name)
    {
        _name = name;
        _get = EmitGetter(field);
        _set = EmitSetter(field);
    }

    public override void Link(Func<Type, ValueCodec> codecOf) => _codec = (ValueCodec<TField>)codecOf(typeof(TField));

    public override void Write(ValueWriter writer, ref TOwner owner)
    {
        try
        {
            _codec.Write(writer, _get(ref owner));
        }
        catch (CrossingRefusedException e)
        {
            throw e.In($"{typeof(TOwner).Name}.{_name}");
        }
    }

    public override void Read(ref ValueReader reader, ref TOwner owner) => _set(ref owner, _codec.Read(ref reader));

    private static FieldGetter<TOwner, TField> EmitGetter(FieldInfo field)
    {
        var method = new DynamicMethod($"get_{field.Name}", typeof(TField), [typeof(TOwner).MakeByRefType()], typeof(FieldCodec<,>).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        if (!typeof(TOwner).IsValueType)
        {
            il.Emit(OpCodes.Ldind_Ref);
        }

        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<FieldGetter<TOwner, TField>>();
    }

    private static FieldSetter<TOwner, TField> EmitSetter(FieldInfo field)
    {
        var method = new DynamicMethod($"set_{field.Name}", typeof(void), [typeof(TOwner).MakeByRefType(), typeof(TField)], typeof(FieldCodec<,>).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        if (!typeof(TOwner).IsValueType)
        {
            il.Emit(OpCodes.Ldind_Ref);
        }

        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<FieldSetter<TOwner, TField>>();
    }
}
