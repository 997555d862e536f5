package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

// The store reuses a loaded catalogue for a moment; these prove the reuse is invisible to
// callers: its own writes show at once, and a caller editing its copy changes nothing else.
func TestCatalogueCache(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _, w := addCatalogue(t, s)

		t.Run("a write drops the cached catalogue", func(t *testing.T) {
			if _, err := s.Catalogue(ctx); err != nil { // cache it
				t.Fatal(err)
			}
			w2, err := s.SaveWindow(ctx, registration.Window{AuthorityID: a.ID, Stage: registration.StageJuniorMiddle,
				Opens: t0, Closes: t0.Add(time.Hour)})
			must(t, err)
			c, err := s.Catalogue(ctx)
			must(t, err)
			if _, ok := c.Window(w2.ID); !ok {
				t.Fatalf("window %s saved but missing from the next catalogue: %+v", w2.ID, c.Windows)
			}
			must(t, s.CloseWindow(ctx, w.ID, t0))
			c, err = s.Catalogue(ctx)
			must(t, err)
			if got, _ := c.Window(w.ID); !got.Closes.Equal(t0) {
				t.Fatalf("window closed at %v but the next catalogue says %v", t0, got.Closes)
			}
		})

		t.Run("a caller's edits stay in its copy", func(t *testing.T) {
			c, err := s.Catalogue(ctx)
			must(t, err)
			n := len(c.Windows)
			c.Windows[0].Closes = time.Time{}
			c.Windows = append(c.Windows, registration.Window{ID: "forged"})
			c2, err := s.Catalogue(ctx)
			must(t, err)
			if len(c2.Windows) != n || c2.Windows[0].Closes.IsZero() {
				t.Fatalf("an edit of one copy leaked into the next: %+v", c2.Windows)
			}
		})

		t.Run("inside a transaction the catalogue sees the transaction's writes", func(t *testing.T) {
			err := s.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error {
				w3, err := tx.SaveWindow(ctx, registration.Window{AuthorityID: a.ID, Stage: registration.StagePrimary,
					Opens: t0, Closes: t0.Add(2 * time.Hour)})
				if err != nil {
					return err
				}
				c, err := tx.Catalogue(ctx)
				if err != nil {
					return err
				}
				if _, ok := c.Window(w3.ID); !ok {
					t.Errorf("window %s saved in the transaction but missing from its catalogue", w3.ID)
				}
				return nil
			})
			must(t, err)
		})
	})
}
