namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>Quoting untrusted text for error messages: Python's repr conventions, a length cap, and no character
/// that a terminal would act on.</summary>
public sealed class QuotedTests
{
    [Theory]
    [InlineData("x1", "'x1'")]
    [InlineData("", "''")]
    [InlineData("a\nb\r\tc", @"'a\nb\r\tc'")]
    [InlineData("\u001b[31m\u0000\u007f\u0085\u009b", @"'\x1b[31m\x00\x7f\x85\x9b'")]
    [InlineData("a\u202eb\u200bc\u2028d\ufeff", @"'a\u202eb\u200bc\u2028d\ufeff'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("it's \"x\"", "'it\\'s \"x\"'")]
    [InlineData("é😀", "'é😀'")]
    public void Text_is_quoted_and_escaped_as_python_repr_does(string text, string expected) =>
        Assert.Equal(expected, Quoted.Text(text));

    [Fact]
    public void An_unpaired_surrogate_is_escaped()
    {
        Assert.Equal(@"'a\ud83d'", Quoted.Text("a\ud83d"));
        Assert.Equal(@"'\ude00b'", Quoted.Text("\ude00b"));
    }

    [Fact]
    public void Long_text_is_cut_at_60_characters_never_inside_an_escape_or_a_pair()
    {
        Assert.Equal("'" + new string('a', 60) + "'", Quoted.Text(new string('a', 60)));
        Assert.Equal("'" + new string('a', 60) + "...'", Quoted.Text(new string('a', 61)));

        // 58 letters and an escape of 4 characters: the escape does not fit whole, so it is left out.
        Assert.Equal("'" + new string('a', 58) + "...'", Quoted.Text(new string('a', 58) + "\u001b"));

        // 59 letters and an emoji (two UTF-16 units): it does not fit whole either.
        Assert.Equal("'" + new string('a', 59) + "...'", Quoted.Text(new string('a', 59) + "😀"));
    }

    [Fact]
    public void A_line_keeps_backslashes_and_quotes_and_escapes_only_what_a_terminal_acts_on()
    {
        Assert.Equal(@"wce: C:\data\x.npy: 'a'", Quoted.Line(@"wce: C:\data\x.npy: 'a'"));
        Assert.Equal(@"wce: a\nb\x1b[1m: c", Quoted.Line("wce: a\nb\u001b[1m: c"));
    }

    [Fact]
    public void No_character_a_terminal_acts_on_survives_quoting()
    {
        for (int c = 0; c <= char.MaxValue; c++)
        {
            var quoted = Quoted.Text(((char)c).ToString());
            var line = Quoted.Line(((char)c).ToString());
            Assert.DoesNotContain(quoted, Bounded.IsUnsafe);
            Assert.DoesNotContain(line, Bounded.IsUnsafe);
        }
    }
}
