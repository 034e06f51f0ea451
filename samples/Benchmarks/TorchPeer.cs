using System.Diagnostics;
using System.Globalization;

namespace AotNet.Benchmarks;

/// <summary>
/// A PyTorch peer: a Python script run through Debian's python3-torch, with OpenBLAS told the real
/// CPU (it takes AVX-512 parts for Haswell otherwise) and two threads, answering one stdin line
/// with one stdout line. One request at a time, so the peer and AotNet are timed back to back
/// under the same machine load. Torch uses whatever libblas.so.3 the loader finds: put OpenBLAS
/// first on LD_LIBRARY_PATH when the system one is the reference BLAS.
/// </summary>
sealed class TorchPeer(Process process) : IDisposable
{
    /// <summary>torch.mm on the requested shape; replies with the GFLOP/s median. Argument: repeats.</summary>
    public const string GemmScript = """
        import sys, time, statistics, torch
        torch.set_num_threads(2)
        repeats = int(sys.argv[1])
        for line in sys.stdin:
            name, m, n, k, ta, tb = line.rstrip('\n').split('\t')
            m, n, k = int(m), int(n), int(k)
            a = torch.rand(k, m) if ta == '1' else torch.rand(m, k)
            b = torch.rand(n, k) if tb == '1' else torch.rand(k, n)
            opa = a.t() if ta == '1' else a
            opb = b.t() if tb == '1' else b
            out = torch.empty(m, n)
            def call():
                torch.mm(opa, opb, out=out)
            start = time.perf_counter(); calls = 0
            while time.perf_counter() - start < 0.3 or calls < 3:
                call(); calls += 1
            per_sample = max(1, int(0.1 / ((time.perf_counter() - start) / calls)))
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                for _ in range(per_sample):
                    call()
                samples.append(2.0 * m * n * k * per_sample / (time.perf_counter() - t0) / 1e9)
            print(name + '\t' + repr(statistics.median(samples)), flush=True)
        """;

    /// <summary>Starts <paramref name="script"/>, or returns null (with a note on stderr) when it cannot run.</summary>
    public static TorchPeer? Start(string script, params ReadOnlySpan<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        start.Environment["OMP_NUM_THREADS"] = "2";
        try
        {
            return new TorchPeer(Process.Start(start)!);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            Console.Error.WriteLine($"torch peer unavailable: {e.Message}");
            return null;
        }
    }

    /// <summary>GFLOP/s median of torch.mm on this shape, or null when the peer has failed.</summary>
    public double? Measure(GemmShape s)
    {
        var reply = Ask(string.Create(CultureInfo.InvariantCulture,
            $"{s.Name}\t{s.M}\t{s.N}\t{s.K}\t{(s.TransposeA ? 1 : 0)}\t{(s.TransposeB ? 1 : 0)}"));
        return reply is null ? null : double.Parse(reply[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Sends one request line and returns the tab-separated reply, or null when the peer has failed.</summary>
    public string[]? Ask(string request)
    {
        if (process.HasExited)
        {
            return null;
        }
        process.StandardInput.Write(request + "\n");
        process.StandardInput.Flush();
        return process.StandardOutput.ReadLine()?.Split('\t');
    }

    public void Dispose()
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }
}
