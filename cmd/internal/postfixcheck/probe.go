package postfixcheck

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// ProbeTimeout bounds a whole probe: connect, negotiate, quit. A variable
// so the tests need not wait for it.
var ProbeTimeout = 3 * time.Second

// ProbeMilter connects to a milter and negotiates options the way an MTA
// does (SMFIC_OPTNEG, then SMFIC_QUIT), so a socket that accepts
// connections but does not speak the milter protocol fails too.
func ProbeMilter(network, address string) error {
	conn, err := net.DialTimeout(network, address, ProbeTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(ProbeTimeout)); err != nil {
		return err
	}
	// Protocol version 6 as Postfix offers it, every action, no protocol
	// steps skipped.
	var data bytes.Buffer
	for _, v := range []uint32{6, 0x1ff, 0} {
		binary.Write(&data, binary.BigEndian, v) // writes to a bytes.Buffer do not fail
	}
	if err := writePacket(conn, 'O', data.Bytes()); err != nil {
		return fmt.Errorf("sending option negotiation: %w", err)
	}
	code, reply, err := readPacket(conn)
	if err != nil {
		return fmt.Errorf("reading option negotiation: %w", err)
	}
	if code != 'O' || len(reply) < 12 {
		return fmt.Errorf("answered option negotiation with %q (%d bytes), not a milter reply", code, len(reply))
	}
	if v := binary.BigEndian.Uint32(reply); v < 2 || v > 6 {
		return fmt.Errorf("offers milter protocol version %d", v)
	}
	_ = writePacket(conn, 'Q', nil) // a polite goodbye; the answer above is what counts
	return nil
}

func writePacket(w io.Writer, code byte, data []byte) error {
	b := make([]byte, 5+len(data))
	binary.BigEndian.PutUint32(b, uint32(1+len(data)))
	b[4] = code
	copy(b[5:], data)
	_, err := w.Write(b)
	return err
}

func readPacket(r io.Reader) (byte, []byte, error) {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil {
		return 0, nil, err
	}
	if n == 0 || n > 1<<16 {
		return 0, nil, fmt.Errorf("packet length %d is not a milter reply", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, nil, err
	}
	return b[0], b[1:], nil
}

// probe checks that tlsgate answers at every address Postfix uses for it.
func (c *checker) probe() {
	seen := map[endpoint]bool{}
	for _, e := range c.tlsgateAt {
		if seen[e] {
			continue
		}
		seen[e] = true
		where := "milter " + e.String()
		if c.in.Probe == nil {
			c.warn(where, "not probed: postfix-check did not connect, so it does not know whether tlsgate answers there")
			continue
		}
		err := c.in.Probe(e.network, e.addr)
		if errors.Is(err, os.ErrPermission) {
			c.warn(where, "not probed: this user may not connect there (%v); run postfix-check as root", err)
			continue
		}
		if err != nil {
			c.problem(where, "start tlsgate (systemctl start tlsgate) and make its listen address match",
				"nothing answers the milter protocol there (%v): Postfix refuses every message with \"451 4.7.1\" (or passes it without a decision, with milter_default_action accept)", err)
			continue
		}
		c.ok(where, "tlsgate answers the milter protocol")
	}
}
