using Spectre.Console;

namespace WeightedCrossEntropy.Cli.Console;

/// <summary>
/// Where the tool writes: plain lines and tables to <see cref="Out"/>, errors and progress bars to
/// <see cref="Error"/>. Colors, ANSI codes and progress bars appear only on a real terminal; redirected or captured
/// output (pipes, files, tests, CI) gets plain text, tables 100 columns wide.
/// </summary>
internal sealed class Terminal
{
    private static readonly TimeSpan ProgressDelay = TimeSpan.FromSeconds(1);

    private readonly IAnsiConsole? progressConsole;

    public Terminal(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        bool outIsTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Tables = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = outIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = outIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!outIsTerminal)
        {
            Tables.Profile.Width = 100;
            Tables.Profile.Capabilities.Unicode = true;
        }

        bool errorIsTerminal = ReferenceEquals(error, System.Console.Error) && !System.Console.IsErrorRedirected;
        if (errorIsTerminal)
        {
            progressConsole = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Interactive = InteractionSupport.Yes,
            });
        }
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Renders tables on <see cref="Out"/>.</summary>
    public IAnsiConsole Tables { get; }

    /// <summary>
    /// Runs <paramref name="work"/>, and if it is still running after a second and stderr is a terminal, shows a
    /// progress bar on stderr until it ends. The work reports how far it is (0 to <paramref name="total"/>).
    /// </summary>
    public T Run<T>(string description, double total, Func<IProgress<double>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var counter = new Counter();
        if (progressConsole is null)
        {
            return work(counter);
        }

        var task = Task.Run(() => work(counter));
        if (Task.WaitAny([task], ProgressDelay) < 0)
        {
            new Progress(progressConsole)
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask(Markup.Escape(description), maxValue: total);
                    while (!task.IsCompleted)
                    {
                        bar.Value = counter.Value;
                        Task.WaitAny([task], TimeSpan.FromMilliseconds(100));
                    }

                    bar.Value = total;
                });
        }

        return task.GetAwaiter().GetResult();
    }

    private sealed class Counter : IProgress<double>
    {
        private double value;

        public double Value => Volatile.Read(ref value);

        public void Report(double value) => Volatile.Write(ref this.value, value);
    }
}
