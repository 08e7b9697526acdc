using System.Diagnostics;
using System.Text;

namespace Turumba.IntegrationTests;

/// <summary>
/// Runs the binaries of a private service. As root, they run as the service's system user
/// (PostgreSQL refuses root; RabbitMQ's files belong to rabbitmq); otherwise as the current user.
/// </summary>
internal static class ServiceProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    public static ProcessStartInfo Info(string user, string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(IsRoot ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (IsRoot)
        {
            foreach (var argument in new[] { "-u", user, "--", "env" })
            {
                info.ArgumentList.Add(argument);
            }

            // runuser keeps the environment, but env makes what the service sees explicit.
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.ArgumentList.Add($"{key}={value}");
            }

            info.ArgumentList.Add(file);
        }
        else
        {
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[key] = value;
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs to completion and fails the test with the output when it exits non-zero.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(info)} did not finish within {timeout.TotalSeconds:F0}s.");
        }

        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Describe(info)} exited with {process.ExitCode}: {output}");
        }

        return output.ToString();
    }

    /// <summary>A directory the service's user can write, removed with <see cref="RemoveDirectory"/>.</summary>
    public static string CreateDirectory(string user, string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"turumba-{purpose}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path);
        if (IsRoot)
        {
            using var chown = Process.Start("chown", ["-R", user, path]);
            chown.WaitForExit();
        }

        return path;
    }

    public static void RemoveDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A service still writing its last log line; the temp directory is cleaned by the OS.
        }
    }

    private static string Describe(ProcessStartInfo info) => string.Join(' ', info.ArgumentList.Prepend(info.FileName));
}
