namespace WeightedCrossEntropy.Cli.Io;

/// <summary>The element types the tool reads: float32 and float64 everywhere, and for labels also bool and integers.</summary>
internal enum ElementType
{
    Float32,
    Float64,
    Bool,
    UInt8,
    Int32,
    Int64,
}

internal static class ElementTypeExtensions
{
    public static int Size(this ElementType type) => type switch
    {
        ElementType.Float32 or ElementType.Int32 => 4,
        ElementType.Float64 or ElementType.Int64 => 8,
        ElementType.Bool or ElementType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsFloat(this ElementType type) => type is ElementType.Float32 or ElementType.Float64;

    /// <summary>NumPy's name of the type (<c>float32</c>, <c>bool</c>...).</summary>
    public static string NumPyName(this ElementType type) => type switch
    {
        ElementType.Float32 => "float32",
        ElementType.Float64 => "float64",
        ElementType.Bool => "bool",
        ElementType.UInt8 => "uint8",
        ElementType.Int32 => "int32",
        ElementType.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
