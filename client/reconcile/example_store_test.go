package reconcile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/talkifai-go/talkifai/client/reconcile"
	"github.com/talkifai-go/talkifai/fake"
)

// memoryStore keeps the lock as JSON in memory, as a service would keep it
// in a row of its database: Write compares the serial, as an UPDATE ...
// WHERE serial = ? would.
type memoryStore struct {
	mu   sync.Mutex
	held bool
	data []byte
}

func (s *memoryStore) Acquire(context.Context) (func() error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held {
		return nil, reconcile.ErrLockHeld
	}
	s.held = true
	return func() error { s.mu.Lock(); s.held = false; s.mu.Unlock(); return nil }, nil
}

func (s *memoryStore) Read(context.Context) (*reconcile.Lock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data == nil {
		return reconcile.NewLock(""), nil
	}
	var l reconcile.Lock
	return &l, json.Unmarshal(s.data, &l)
}

func (s *memoryStore) Write(_ context.Context, l *reconcile.Lock) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var stored reconcile.Lock
	if s.data != nil {
		json.Unmarshal(s.data, &stored)
	}
	if stored.Serial != l.Serial {
		return reconcile.ErrSerialChanged
	}
	next := *l
	next.Serial++
	data, err := json.Marshal(&next)
	if err != nil {
		return err
	}
	s.data, l.Serial = data, next.Serial
	return nil
}

// A service that provisions agents for its customers keeps each
// customer's lock in its own storage by implementing LockStore.
func ExampleLockStore() {
	srv := fake.NewHandler(fake.WithIDs(fake.SequentialIDs()))
	dir := exampleFolder()
	defer os.RemoveAll(dir)
	store := &memoryStore{}
	eng, err := reconcile.New(reconcile.Config{Client: exampleClient(srv), Store: store})
	if err != nil {
		panic(err)
	}
	folder, _ := reconcile.Load(dir)
	if _, err := eng.Apply(context.Background(), folder, reconcile.ApplyOptions{}); err != nil {
		panic(err)
	}
	l, _ := store.Read(context.Background())
	fmt.Println(l.Serial, l.Agents["support"].ID)
	// Output:
	// 2 agent_1
}
