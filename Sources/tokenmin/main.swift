import Foundation
import TokenminCLI

// The executable is a thin shell: everything lives in `TokenminCLI`, where it can be tested.
let status = TokenminCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(status)
