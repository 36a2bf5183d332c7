/**
 * DAgger with the simulator's scripted expert as teacher: {@link dev.wam4j.rl.dagger.ExpertTeacher}
 * labels any state with the expert's action chunk from it, {@link
 * dev.wam4j.rl.dagger.DaggerCollector} rolls the student out and records every visited state with
 * its label, {@link dev.wam4j.rl.dagger.Dagger} runs the rounds (roll out, label, aggregate,
 * retrain, validate).
 */
package dev.wam4j.rl.dagger;
