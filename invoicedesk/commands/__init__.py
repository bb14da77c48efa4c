"""One module per `invoicedesk` subcommand: `add_parser(subparsers)` and `run(args)`."""
