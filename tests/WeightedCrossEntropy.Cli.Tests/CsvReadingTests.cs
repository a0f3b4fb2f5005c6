using System.Globalization;
using System.Text;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>CSV read a line at a time: the same rows as before, without holding copies of the text.</summary>
public sealed class CsvReadingTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Fields_lines_quotes_and_blank_lines_follow_the_documented_rules()
    {
        var text = "a, \"b,\"\"c\"\" \" ,c\r\n\n   \n 1 ,\"2\",3\nx,,\u00a0y\u00a0";
        var rows = CsvTable.Parse(text, "t.csv");

        Assert.Equal([1, 4, 5], rows.Select(r => r.Line));
        Assert.Equal(["a", "b,\"c\"", "c"], rows[0].Fields);
        Assert.Equal(["1", "2", "3"], rows[1].Fields);
        Assert.Equal(["x", "", "y"], rows[2].Fields);
    }

    [Fact]
    public void A_numeric_csv_is_read_without_holding_its_text()
    {
        // 200,000 rows of 5 numbers of 11 characters: 11.6 MB of text, 8 MB of doubles. Reading the text whole,
        // splitting it and keeping a string per cell allocates several times the file; a reader that parses as it
        // goes allocates the doubles (twice: in blocks, then one array) and a few buffers.
        var text = new StringBuilder();
        var random = new Random(7);
        for (int r = 0; r < 200_000; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                text.Append(random.NextDouble().ToString("0.000000000", CultureInfo.InvariantCulture)).Append(c < 4 ? ',' : '\n');
            }
        }

        File.WriteAllText(folder["big.csv"], text.ToString());
        long size = new FileInfo(folder["big.csv"]).Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var array = NumericCsv.Read(folder["big.csv"]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal([200_000, 5], array.Shape);
        Assert.InRange(allocated, 0, 2 * size);
    }
}
