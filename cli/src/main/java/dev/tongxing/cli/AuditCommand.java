package dev.tongxing.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tongxing audit query|verify}: the ministry's view of the audit log. */
@Command(name = "audit", description = "Query and verify the hub's audit log (needs the auditor role).",
        subcommands = {AuditQueryCommand.class, AuditVerifyCommand.class})
final class AuditCommand {

    @ParentCommand
    TongxingCli cli;
}
