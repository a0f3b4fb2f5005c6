namespace WeightedCrossEntropy.Cli;

internal static class Program
{
    public static int Main(string[] args) => Cli.Run(args, System.Console.Out, System.Console.Error);
}
