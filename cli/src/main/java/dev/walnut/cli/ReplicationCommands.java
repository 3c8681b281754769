package dev.walnut.cli;

import picocli.CommandLine;

/** Registers the replication commands ({@code serve}, {@code cluster-demo}): one line in {@link Main}. */
final class ReplicationCommands {

    private ReplicationCommands() {
    }

    static void register(CommandLine cli, Console console) {
        cli.addSubcommand("serve", new ServeCommand(console));
        cli.addSubcommand("cluster-demo", new ClusterDemoCommand(console));
    }
}
