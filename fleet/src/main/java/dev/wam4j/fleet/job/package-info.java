/** Jobs submitted as markdown documents: {@link dev.wam4j.fleet.job.JobDocument} and its parser. */
package dev.wam4j.fleet.job;
