//go:build gocqlv2

// The Apache gocql driver 2.x (github.com/apache/cassandra-gocql-driver/v2), gocql's successor
// under the same API: it discovers v5 first and frames it in segments. The names main.go uses,
// from this driver.
package main

import gocql "github.com/apache/cassandra-gocql-driver/v2"

type observedFrameHeader = gocql.ObservedFrameHeader
type passwordAuthenticator = gocql.PasswordAuthenticator

const loggedBatch = gocql.LoggedBatch

var newCluster = gocql.NewCluster
