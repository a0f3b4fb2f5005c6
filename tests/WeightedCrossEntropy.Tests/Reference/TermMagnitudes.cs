namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>
/// Rough magnitudes (a few digits suffice) of the two terms of each result, to pick the ULP unit where they cancel.
/// Written independently of the library, from the textbook formulas.
/// </summary>
public static class TermMagnitudes
{
    public static double Softplus(double t)
    {
        static double Log1p(double u) => u < 1e-8 ? u - (u * u / 2) : System.Math.Log(1 + u);
        return t > 0 ? t + Log1p(System.Math.Exp(-t)) : Log1p(System.Math.Exp(t));
    }

    public static double Sigmoid(double t) => t >= 0 ? 1 / (1 + System.Math.Exp(-t)) : System.Math.Exp(t) / (1 + System.Math.Exp(t));

    /// <summary>Larger of |(1 − z)·sp(x)| and |q·z·sp(−x)| where q &lt; 0 (the loss's terms then differ in sign).</summary>
    public static double Loss(double x, double z, double q) =>
        q < 0 ? System.Math.Max(Abs((1 - z), Softplus(x)), Abs(q * z, Softplus(-x))) : 0;

    public static double Dx(double x, double z, double q) =>
        System.Math.Max(Abs(1 - z, Sigmoid(x)), Abs(q * z, Sigmoid(-x)));

    public static double Dz(double x, double q) =>
        System.Math.Max(Abs(q, Softplus(-x)), Softplus(x));

    /// <summary>|c·f| with 0·∞ = 0.</summary>
    private static double Abs(double c, double f) => c == 0 ? 0 : System.Math.Abs(c * f);
}
