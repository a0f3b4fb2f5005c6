namespace WeightedCrossEntropy.Cli;

/// <summary>
/// A mistake in what the user gave the tool (a file, an option): reported as one line
/// <c>wce: &lt;subject&gt;: &lt;message&gt;</c> on stderr with exit code 2, never with a stack trace.
/// Anything else that escapes a command is a bug.
/// </summary>
internal sealed class UserErrorException : Exception
{
    public UserErrorException()
    {
        Subject = "wce";
    }

    public UserErrorException(string message)
        : base(message)
    {
        Subject = "wce";
    }

    public UserErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Subject = "wce";
    }

    /// <param name="subject">What is wrong: a file as the user named it, or an option such as <c>--pos-weight</c>.</param>
    /// <param name="message">What is wrong with it, in one line.</param>
    public UserErrorException(string subject, string message)
        : base(message)
    {
        Subject = subject;
    }

    /// <summary>The file (as the user named it) or option the message is about.</summary>
    public string Subject { get; }
}
