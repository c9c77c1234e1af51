import ArgumentParser

/// The `sparse-bench` command: memory and throughput of every storage format across sparsity levels.
@main
struct SparseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparse-bench",
        abstract: "Memory and throughput of every sparse format across sparsity levels, against dense BLAS.",
        subcommands: [SweepCommand.self, InspectCommand.self, ReadCommand.self],
        defaultSubcommand: SweepCommand.self
    )
}
