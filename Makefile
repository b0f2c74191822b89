# minesafe — the two commands that matter: `make demo` and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X minesafe/internal/app.Version=$(VERSION)

.PHONY: build demo test gotest webtest e2e lint fmt web clean

# The browser app is built into web/dist and embedded in the binary.
web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web: web/node_modules/.installed
	cd web && npm run build

build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/minesafe ./cmd/minesafe

demo: build
	./bin/minesafe demo

# Everything: gofmt and vet, every Go test (each store test on SQLite and
# PostgreSQL: MINESAFE_TEST_PG, default
# postgres://postgres@127.0.0.1:5432/test?sslmode=disable), the web app's
# component tests and the browser tests in Chromium.
test: lint gotest webtest e2e

gotest:
	$(GO) test -count=1 -timeout 30m ./...

webtest: web/node_modules/.installed
	cd web && npm test

# Browser tests against a freshly built binary (it embeds web/dist).
e2e: build
	cd web && npm run e2e

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin web/node_modules
	cd web && node tools/placeholder.mjs
