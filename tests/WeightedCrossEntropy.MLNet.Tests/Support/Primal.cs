namespace WeightedCrossEntropy.MLNet.Tests.Support;

/// <summary>
/// The problem ML.NET's SDCA solves for a binary loss, written out in double independently of ML.NET and of the
/// library: P(w, b) = (1/n)·Σ cᵢ·ℓ(yᵢ·(w·xᵢ + b)) + (λ/2)·(|w|² + b²), ℓ(m) = log(1 + e^−m), yᵢ = ±1, cᵢ = q on
/// positive rows and 1 on negative ones (the bias is regularized, SDCA's default). Its minimum is found by Newton's
/// method with a backtracking line search.
/// </summary>
internal static class Primal
{
    public static double Objective(Dataset data, double q, double lambda, IReadOnlyList<float> w, float b)
    {
        double sum = 0, norm = (double)b * b;
        for (int i = 0; i < data.Count; i++)
        {
            double margin = Margin(data.Features[i], w, b) * (data.Labels[i] ? 1 : -1);
            sum += (data.Labels[i] ? q : 1) * Softplus(-margin);
        }

        foreach (var v in w)
        {
            norm += (double)v * v;
        }

        return (sum / data.Count) + (lambda / 2 * norm);
    }

    /// <summary>The minimizer (w, b) of P in double.</summary>
    public static (double[] W, double B) Minimize(Dataset data, double q, double lambda)
    {
        int d = data.Dimension + 1;
        var theta = new double[d];
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d, d];
            for (int i = 0; i < data.Count; i++)
            {
                var x = Extended(data.Features[i]);
                double y = data.Labels[i] ? 1 : -1, c = data.Labels[i] ? q : 1;
                double m = y * Dot(x, theta);
                double s = Sigmoid(-m); // −ℓ′(m)
                for (int j = 0; j < d; j++)
                {
                    gradient[j] -= c * y * s * x[j] / data.Count;
                    for (int k = 0; k < d; k++)
                    {
                        hessian[j, k] += c * s * (1 - s) * x[j] * x[k] / data.Count;
                    }
                }
            }

            for (int j = 0; j < d; j++)
            {
                gradient[j] += lambda * theta[j];
                hessian[j, j] += lambda;
            }

            if (System.Math.Sqrt(gradient.Sum(g => g * g)) < 1e-13)
            {
                break;
            }

            var step = Solve(hessian, gradient);
            double f0 = Value(data, q, lambda, theta), t = 1;
            while (t > 1e-10)
            {
                var candidate = theta.Select((v, j) => v - (t * step[j])).ToArray();
                if (Value(data, q, lambda, candidate) <= f0)
                {
                    theta = candidate;
                    break;
                }

                t /= 2;
            }
        }

        return (theta.Take(d - 1).ToArray(), theta[d - 1]);
    }

    private static double Value(Dataset data, double q, double lambda, double[] theta)
    {
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double y = data.Labels[i] ? 1 : -1;
            sum += (data.Labels[i] ? q : 1) * Softplus(-y * Dot(Extended(data.Features[i]), theta));
        }

        return (sum / data.Count) + (lambda / 2 * theta.Sum(v => v * v));
    }

    private static double[] Extended(float[] x) => [.. x.Select(v => (double)v), 1.0];

    private static double Dot(double[] x, double[] theta)
    {
        double s = 0;
        for (int j = 0; j < x.Length; j++)
        {
            s += x[j] * theta[j];
        }

        return s;
    }

    private static double Margin(float[] x, IReadOnlyList<float> w, float b)
    {
        double s = b;
        for (int j = 0; j < x.Length; j++)
        {
            s += (double)x[j] * w[j];
        }

        return s;
    }

    public static double Softplus(double t) =>
        System.Math.Max(t, 0) + System.Math.Log(1 + System.Math.Exp(-System.Math.Abs(t)));

    private static double Sigmoid(double t) => 1 / (1 + System.Math.Exp(-t));

    /// <summary>Solves A·x = b for a symmetric positive definite A (Cholesky).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? System.Math.Sqrt(s) : s / l[j, j];
            }
        }

        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= l[i, k] * y[k];
            }

            y[i] = s / l[i, i];
        }

        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= l[k, i] * x[k];
            }

            x[i] = s / l[i, i];
        }

        return x;
    }
}
