/**
 * The human judge of the physical Turing test: pairs of clips, judgements per judge, the tally and
 * its verdict (docs/TURING.md).
 */
package dev.wam4j.fleet.judge;
