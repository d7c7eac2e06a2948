// Connects with gocql, lets it negotiate the protocol version, and runs prepared statements
// (gocql prepares every statement), a logged batch, paging and a value larger than a v5 segment.
// Built twice: against gocql v1.7.0 (driver_v1.go) and, with -tags gocqlv2, against its
// successor the Apache gocql driver 2.x (driver_v2.go). Usage: gocheck HOST PORT KEYSPACE
// [USER PASSWORD]; prints one JSON line of what it saw, which tests/drivers/test_go_driver.py
// asserts on.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	rows       = 50
	pageSize   = 7
	largeValue = 300000
)

type report struct {
	Protocol int `json:"protocol"`
	Rows     int `json:"rows"`
	SeqSum   int `json:"seq_sum"`
	Pages    int `json:"pages"`
	Large    int `json:"large"`
}

// Records the version byte of the last frame received (without the response bit).
type versionObserver struct {
	mu      sync.Mutex
	version int
}

func (o *versionObserver) ObserveFrameHeader(_ context.Context, h observedFrameHeader) {
	o.mu.Lock()
	o.version = int(h.Version) & 0x7F
	o.mu.Unlock()
}

func (o *versionObserver) last() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.version
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	host, portText, keyspace := os.Args[1], os.Args[2], os.Args[3]
	port, err := strconv.Atoi(portText)
	if err != nil {
		fail(err)
	}
	cluster := newCluster(host)
	cluster.Port = port
	cluster.Keyspace = keyspace
	cluster.Timeout = 30 * time.Second
	cluster.ConnectTimeout = 10 * time.Second
	cluster.DisableInitialHostLookup = true
	observer := &versionObserver{}
	cluster.FrameHeaderObserver = observer
	if len(os.Args) > 5 {
		cluster.Authenticator = passwordAuthenticator{Username: os.Args[4], Password: os.Args[5]}
	}
	session, err := cluster.CreateSession()
	if err != nil {
		fail(err)
	}
	defer session.Close()

	if err := session.Query("CREATE TABLE go_items (id int, seq int, name text, PRIMARY KEY (id, seq))").Exec(); err != nil {
		fail(err)
	}
	batch := session.NewBatch(loggedBatch)
	for seq := 0; seq < rows; seq++ {
		batch.Query("INSERT INTO go_items (id, seq, name) VALUES (?, ?, ?)", 1, seq, fmt.Sprintf("name-%d", seq))
	}
	if err := session.ExecuteBatch(batch); err != nil {
		fail(err)
	}

	out := report{}
	var state []byte
	for {
		iter := session.Query("SELECT seq, name FROM go_items WHERE id = ?", 1).PageSize(pageSize).PageState(state).Iter()
		out.Pages++
		var seq int
		var name string
		for iter.Scan(&seq, &name) {
			out.Rows++
			out.SeqSum += seq
		}
		state = iter.PageState()
		if err := iter.Close(); err != nil {
			fail(err)
		}
		if len(state) == 0 {
			break
		}
	}

	large := strings.Repeat("x", largeValue)
	if err := session.Query("INSERT INTO go_items (id, seq, name) VALUES (?, ?, ?)", 2, 0, large).Exec(); err != nil {
		fail(err)
	}
	var back string
	if err := session.Query("SELECT name FROM go_items WHERE id = ?", 2).Scan(&back); err != nil {
		fail(err)
	}
	out.Large = len(back)

	// The version of the frames the last answer came in: what the session negotiated.
	out.Protocol = observer.last()
	encoded, _ := json.Marshal(out)
	fmt.Println(string(encoded))
}
