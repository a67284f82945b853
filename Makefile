# The two commands of the README. Both install what is missing first.
.PHONY: run test bench
run:
	@scripts/run.sh
test:
	@scripts/test.sh
bench:
	@scripts/bench.sh
