using System.Runtime.CompilerServices;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// How the loop moves one element type in and out of double lanes: a step covers <see cref="Width{TV, L}"/>
/// elements, one lane vector for double, two (widened) for float.
/// </summary>
internal interface IElementType<TE>
    where TE : unmanaged
{
    static abstract bool HasUpper { get; }

    static abstract int Width<TV, L>()
        where TV : struct
        where L : struct, ILanes<TV>;

    static abstract void Load<TV, L>(ref TE source, out TV lower, out TV upper)
        where TV : struct
        where L : struct, ILanes<TV>;

    static abstract void Store<TV, L>(TV lower, TV upper, ref TE destination)
        where TV : struct
        where L : struct, ILanes<TV>;
}

/// <summary>float64 elements: computed as they are.</summary>
internal readonly struct DoubleElements : IElementType<double>
{
    public static bool HasUpper => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Width<TV, L>()
        where TV : struct
        where L : struct, ILanes<TV> => L.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load<TV, L>(ref double source, out TV lower, out TV upper)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        lower = L.Load(ref source);
        upper = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TV, L>(TV lower, TV upper, ref double destination)
        where TV : struct
        where L : struct, ILanes<TV> => L.Store(lower, ref destination);
}

/// <summary>float32 elements: widened to double, computed, and rounded once on the way out.</summary>
internal readonly struct SingleElements : IElementType<float>
{
    public static bool HasUpper => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Width<TV, L>()
        where TV : struct
        where L : struct, ILanes<TV> => 2 * L.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load<TV, L>(ref float source, out TV lower, out TV upper)
        where TV : struct
        where L : struct, ILanes<TV> => L.LoadWidened(ref source, out lower, out upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TV, L>(TV lower, TV upper, ref float destination)
        where TV : struct
        where L : struct, ILanes<TV> => L.StoreNarrowed(lower, upper, ref destination);
}
