// Package shell analyses the shell text of a Dockerfile RUN instruction.
//
// The Dockerfile layer hands Parse the command text of a shell-form RUN
// (line continuations already joined) or the body of a RUN heredoc. Parse
// builds a [Script]: a flat, source-ordered list of the simple commands the
// script runs ([Command]), including those nested in subshells, brace groups,
// if/while/for/case bodies, functions and command substitutions, each with
// its literal arguments, source positions and how it is joined to the next
// command.
//
// On top of that model the package offers the queries Dockerfile rules need:
//
//   - option handling that understands POSIX short-option clustering (-qy),
//     attached values (-ofoo, --opt=v) and per-program grammars, so option
//     values are never mistaken for operands ([Command.HasFlag],
//     [Command.FlagValue], [Grammar]);
//   - package-manager invocations with real option grammars
//     ([Script.PackageOps], [PackageOp], [Package]) for apt-get, apt,
//     aptitude, apk, pip (pip3, pipX.Y, python -m pip), npm, yarn, pnpm, gem,
//     go, yum, dnf, microdnf, zypper, bundle, composer and cargo;
//   - clean-up analysis ([Script.RemovesPath], [Script.Cleans] and the
//     Cleans* helpers) for rm/find deletions and cache-cleaning commands;
//   - pipelines and pipefail ([Script.Pipelines], [Script.HasPipefail]),
//     cd and sudo use, and look-up by command name;
//   - SHELL handling: [IsPOSIXShell] tells whether RUN text is POSIX shell
//     at all (PowerShell and cmd are not and must not be parsed), and
//     [ShellHasPipefail] whether the SHELL argv enables pipefail.
//
// Parsing is done with mvdan.cc/sh/v3/syntax. Syntax errors are reported as
// *[ParseError] carrying the line and column within the script; callers are
// expected to treat unparseable shell as non-fatal. Parse never panics and
// the analysis helpers are safe on any Script it returns.
//
// Everything is static: nothing is executed and no variable is expanded,
// except that ~, $HOME and ${HOME} at the start of a path operand are
// resolved with the home directory given by [WithHome] (default /root) for
// clean-up analysis, and relative paths are resolved against the directory
// set by preceding literal cd commands or [WithWorkdir].
package shell
