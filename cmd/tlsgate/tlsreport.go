package main

import "github.com/tlsgate/tlsgate/cmd/internal/tlsreport"

func init() { subcommands["tls-report"] = tlsreport.Main }
