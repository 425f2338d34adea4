"$1" --help
