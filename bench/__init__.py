"""The benchmark suite (`make bench`, `make bench-quick`): not part of `make test` or CI."""
