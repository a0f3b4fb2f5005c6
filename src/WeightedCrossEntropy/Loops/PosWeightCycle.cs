using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// Walks pos_weight along the elements: element i uses posWeight[i mod C]. <see cref="Current"/> is a reference to
/// <c>width</c> consecutive weights for the current step, so the loop loads them as one vector whatever C is.
/// </summary>
/// <remarks>
/// For C ≤ <see cref="MaxTiled"/> the weights are tiled into the caller's scratch buffer: t ↦ q[t mod C] for
/// t &lt; P + width, with the period P the smallest multiple of C that is ≥ width. Every step is then a plain load.
/// For larger C the weights are read in place, and only a step that wraps past the end (one in C/width) is gathered
/// into the scratch buffer.
/// </remarks>
internal ref struct PosWeightCycle<TE>
    where TE : unmanaged
{
    public const int MaxTiled = 256;

    /// <summary>Scratch elements a caller must provide: enough for the tiling at the widest step (32 floats).</summary>
    public const int ScratchLength = MaxTiled + 64;

    private readonly ReadOnlySpan<TE> _weights;
    private readonly ReadOnlySpan<TE> _source;
    private readonly Span<TE> _gather;
    private readonly int _period;
    private readonly int _width;
    private readonly bool _tiled;
    private int _index;

    public PosWeightCycle(ReadOnlySpan<TE> weights, long firstElement, int width, Span<TE> scratch)
    {
        int c = weights.Length;
        _weights = weights;
        _width = width;
        _tiled = c <= MaxTiled;
        if (_tiled)
        {
            _period = (width + c - 1) / c * c;
            var tiles = scratch[..(_period + width)];
            Tile(weights, tiles);

            _source = tiles;
            _gather = default;
        }
        else
        {
            _period = c;
            _source = weights;
            _gather = scratch[..width];
        }

        _index = (int)(firstElement % _period);
    }

    /// <summary>Index of the current step's first weight in the cycle; a loop may keep it in a local and use
    /// <see cref="At"/> and <see cref="Next"/>.</summary>
    public readonly int Index => _index;

    /// <summary>The weights of the current step's <c>width</c> elements.</summary>
    public readonly ref TE Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref At(_index);
    }

    /// <summary>The <c>width</c> weights of the step whose first weight is at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref TE At(int index) =>
        ref InPlaceWalk.IsInPlace(index) ? ref InPlaceWalk.InPlace(index) : ref GatherAt(index);

    /// <summary>The walk through the cycle without gathering, as a local copy of the four fields it reads: through the
    /// reference to the cycle that a loop is given, the JIT re-read the fields every step (the loop's stores might
    /// have changed them), which slowed the float32 covered loops; passing the walk itself as an argument instead of
    /// the reference was slower for float64 (A/B numbers: docs/benchmarks.md).</summary>
    public readonly Walk InPlaceWalk => new(ref MemoryMarshal.GetReference(_source), _period, _width, _tiled);

    /// <summary>The index of the step after the one at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Next(int index) => InPlaceWalk.Next(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance() => _index = Next(_index);

    /// <summary>tiles[t] = weights[t mod C]: the weights once, then the filled part copied after itself (a multiple
    /// of C long each time), so that a call's set-up costs a few block copies, not an integer division per element
    /// (that was most of a small call's fixed cost: 32 of them for 16 float lanes).</summary>
    private static void Tile(ReadOnlySpan<TE> weights, Span<TE> tiles)
    {
        if (weights.Length == 1)
        {
            tiles.Fill(weights[0]);
            return;
        }

        weights.CopyTo(tiles);
        int filled = weights.Length;
        while (filled < tiles.Length)
        {
            int count = System.Math.Min(filled, tiles.Length - filled);
            tiles[..count].CopyTo(tiles[filled..]);
            filled += count;
        }
    }

    /// <summary>Steps through the cycle: which steps read their weights in place, where those are, and the next
    /// step's index (the one place these are computed; <see cref="At"/> and <see cref="Next"/> use it too).</summary>
    internal readonly ref struct Walk
    {
        private readonly ref TE _source;
        private readonly int _period;
        private readonly int _width;
        private readonly bool _tiled;

        public Walk(ref TE source, int period, int width, bool tiled)
        {
            _source = ref source;
            _period = period;
            _width = width;
            _tiled = tiled;
        }

        /// <summary>Whether the step at <paramref name="index"/> reads its weights in place (<see cref="InPlace"/>):
        /// always for tiled weights, else unless the step wraps past the end.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsInPlace(int index) => _tiled || index + _width <= _period;

        /// <summary>The weights of a step that <see cref="IsInPlace"/>: no gathering, no call.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref TE InPlace(int index) => ref Unsafe.Add(ref _source, index);

        /// <summary>The index of the step after the one at <paramref name="index"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int index) => index + _width >= _period ? index + _width - _period : index + _width;
    }

    private readonly ref TE GatherAt(int index)
    {
        int c = _weights.Length;
        for (int t = 0; t < _width; t++)
        {
            int j = index + t;
            _gather[t] = _weights[j >= c ? j - c : j];
        }

        return ref MemoryMarshal.GetReference(_gather);
    }
}
