namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>
/// Error in units in the last place, counted as <c>data/reference/README.md</c> says: in the row's dtype, with the
/// unit taken from a given magnitude (the reference, or the larger of two terms that cancel), and the smallest normal
/// number as the unit below it.
/// </summary>
public static class Ulp
{
    public static double Unit(double magnitude, bool isFloat32)
    {
        magnitude = System.Math.Abs(magnitude);
        double minNormal = isFloat32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        int mantissaBits = isFloat32 ? 23 : 52;
        if (!(magnitude >= minNormal))
        {
            return minNormal;
        }

        if (double.IsInfinity(magnitude))
        {
            magnitude = isFloat32 ? float.MaxValue : double.MaxValue;
        }

        return System.Math.ScaleB(1.0, System.Math.ILogB(magnitude) - mantissaBits);
    }

    /// <summary>|actual − expected| in units of <see cref="Unit"/>(unitMagnitude); non-finite values must match exactly
    /// (0 if they do, +∞ if not).</summary>
    public static double Error(double actual, double expected, double unitMagnitude, bool isFloat32)
    {
        if (!double.IsFinite(expected) || !double.IsFinite(actual))
        {
            return actual.Equals(expected) ? 0 : double.PositiveInfinity;
        }

        return System.Math.Abs(actual - expected) / Unit(System.Math.Max(System.Math.Abs(expected), unitMagnitude), isFloat32);
    }
}
