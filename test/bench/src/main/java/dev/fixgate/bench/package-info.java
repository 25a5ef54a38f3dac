/**
 * Benchmarks. JMH benchmarks for steady-state throughput of one stage; plain {@code main} programs for runs
 * that generate large inputs and watch peak heap. Run them with {@code ./bench} (see BENCHMARKS.md); they are
 * never part of {@code verify}, and no unit test asserts on time.
 */
package dev.fixgate.bench;
