//go:build !gocqlv2

// gocql v1.7.0 (github.com/gocql/gocql): its version discovery starts at v4 and it has no v5
// segment framing. The names main.go uses, from this driver.
package main

import "github.com/gocql/gocql"

type observedFrameHeader = gocql.ObservedFrameHeader
type passwordAuthenticator = gocql.PasswordAuthenticator

const loggedBatch = gocql.LoggedBatch

var newCluster = gocql.NewCluster
