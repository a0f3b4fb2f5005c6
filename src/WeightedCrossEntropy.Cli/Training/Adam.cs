namespace WeightedCrossEntropy.Cli.Training;

/// <summary>Kingma and Ba's Adam with bias correction, for one flat parameter vector.</summary>
internal sealed class Adam(int size, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[] m = new double[size];
    private readonly double[] v = new double[size];
    private int step;

    public void Update(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        step++;
        double correction1 = 1 - System.Math.Pow(beta1, step);
        double correction2 = 1 - System.Math.Pow(beta2, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            m[i] = (beta1 * m[i]) + ((1 - beta1) * gradient[i]);
            v[i] = (beta2 * v[i]) + ((1 - beta2) * gradient[i] * gradient[i]);
            parameters[i] -= learningRate * (m[i] / correction1) / (System.Math.Sqrt(v[i] / correction2) + epsilon);
        }
    }
}
