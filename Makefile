# minesafe — the two commands that matter: `make demo` and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X minesafe/internal/app.Version=$(VERSION)

.PHONY: build demo test test-sqlite lint fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/minesafe ./cmd/minesafe

demo: build
	./bin/minesafe demo

# Every store test runs on SQLite and PostgreSQL (MINESAFE_TEST_PG, default
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
test: lint
	$(GO) test -count=1 -timeout 30m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
