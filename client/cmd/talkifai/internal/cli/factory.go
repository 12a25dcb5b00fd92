package cli

import (
	"errors"
	"strings"
	"time"

	"github.com/talkifai-go/talkifai/client"
	"github.com/talkifai-go/talkifai/client/cmd/talkifai/internal/iostreams"
)

// Factory is what every command is given: the streams and how to make an
// API client. Tests replace either.
type Factory struct {
	IO *iostreams.IOStreams
	// Client returns the API client, or an error that says how to supply
	// the key or base URL. It is called only by commands that need the API.
	Client func() (*client.Client, error)
	// Now is the clock of the lock's times; nil means time.Now.
	Now func() time.Time
	// Concurrency bounds apply's concurrent writes; 0 means the engine's
	// default. Tests set 1 for ids in key order.
	Concurrency int
}

// NewFactory returns the Factory of a real run: the process's streams and
// a client configured by TALKIFAI_API_KEY and TALKIFAI_BASE_URL.
func NewFactory() *Factory {
	return &Factory{IO: iostreams.System(), Client: envClient}
}

// envClient makes a client from the environment, and turns the client's
// refusal into advice.
func envClient() (*client.Client, error) {
	c, err := client.New(client.WithUserAgent("talkifai-cli/" + client.Version))
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "client: ")
		if strings.Contains(msg, "no API key") {
			return nil, errors.New("no API key: set TALKIFAI_API_KEY (and TALKIFAI_BASE_URL for a server other than the default)")
		}
		return nil, errors.New(msg + " (check TALKIFAI_BASE_URL)")
	}
	return c, nil
}
