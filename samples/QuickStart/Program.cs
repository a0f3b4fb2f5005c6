// Reproduces the example of TensorFlow's documentation for tf.nn.weighted_cross_entropy_with_logits and prints this
// library's results beside the exact values (computed with mpmath at 80 significant digits, rounded to 10 here) and
// what TensorFlow prints in float32. It reads no file: everything it needs is below.
using System.Globalization;
using WeightedCrossEntropy;

float[] labels = [1f, 0.5f, 0f];
float[] logits = [1.5f, -0.1f, -10f];

var cases = new (float PosWeight, double[] Exact, string[] TensorFlow)[]
{
    (1.5f, [0.3021199170, 0.8804958251, 4.539889922e-05], ["0.30211994", "0.88049585", "4.5776367e-05"]),
    (0.5f, [0.1007066390, 0.5082974951, 4.539889922e-05], ["0.10070664", "0.5082975", "4.5776367e-05"]),
};

var loss = new float[3];
foreach (var (posWeight, exact, tensorFlow) in cases)
{
    Nn.WeightedCrossEntropyWithLogits<float>(labels, logits, [posWeight], loss);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pos_weight = {posWeight}"));
    Console.WriteLine("  label  logit   this library (float32)   exact              TensorFlow (float32)");
    for (int i = 0; i < loss.Length; i++)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {labels[i],5}  {logits[i],5}   {loss[i],-22:R}   {exact[i],-17:G10}  {tensorFlow[i]}"));
    }

    double worst = 0;
    for (int i = 0; i < loss.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs(loss[i] - exact[i]) / exact[i]);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  largest relative error of this library: {worst:E1} (TensorFlow: 8.3E-003 on the last element)"));
    Console.WriteLine();
}
