/**
 * PushT, faithful to the reference environment (specs/pusht.md): {@link
 * dev.wam4j.sim.pusht.PushTEnv} (legacy seeded reset, legacy set-state, 10 substeps per action,
 * reward, coverage, success, 300-step limit), {@link dev.wam4j.sim.pusht.NumpyLegacyRandom}
 * (numpy's legacy {@code RandomState}, bit for bit) and {@link dev.wam4j.sim.pusht.Coverage}.
 *
 * <p>{@code Math.log} (not {@code StrictMath}) in the Gaussian draw matches numpy's C {@code log};
 * {@code PushTReferenceTest} pins the reset draws of the spec's seeds bit for bit.
 */
package dev.wam4j.sim.pusht;
