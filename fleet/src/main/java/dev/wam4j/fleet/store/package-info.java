/**
 * The fleet's state in SQL (SQLite embedded, PostgreSQL or H2): {@link
 * dev.wam4j.fleet.store.FleetStore} opens it and hands out one class per aggregate — robots and
 * tokens, the task queue, uploads and episodes, the model registry — with statuses as enums spelt
 * in lower case on the wire.
 */
package dev.wam4j.fleet.store;
