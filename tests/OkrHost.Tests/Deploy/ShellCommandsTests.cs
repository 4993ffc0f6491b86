namespace OkrHost.Tests.Deploy;

public class ShellCommandsTests
{
    [Fact]
    public void Finds_each_okrhost_command_after_keywords_assignments_and_operators_with_expansions_as_placeholders()
    {
        const string script = """
            set -eu
            status=0
            CI=true okrhost collect --shard "$((JOB_COMPLETION_INDEX + 1))/${SHARDS}" --out "$RUN/part.json" || status=$?
            if [ "$status" -eq 0 ]; then okrhost merge "$RUN"/facts-*.json \
              --out 'site dir' 2>&1 >> "$LOG"; fi
            # okrhost report --in-a-comment
            echo okrhost; okrhost validate --config ${{ matrix.config }}.json | tee out.txt
            """;

        var commands = ShellCommands.Find(script, "okrhost");

        Assert.Equal(
            [
                ["okrhost", "collect", "--shard", "1/1", "--out", "1/part.json"],
                ["okrhost", "merge", "1/facts-*.json", "--out", "site dir"],
                ["okrhost", "validate", "--config", "1.json"],
            ],
            commands.Select(c => c.Words.ToArray()));
        Assert.Equal("okrhost collect --shard \"$((JOB_COMPLETION_INDEX + 1))/${SHARDS}\" --out \"$RUN/part.json\"", commands[0].Raw);
        Assert.Equal("okrhost validate --config ${{ matrix.config }}.json", commands[2].Raw);
    }
}
