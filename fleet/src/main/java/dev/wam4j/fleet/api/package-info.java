/**
 * The Physical API's wire types, shared by the server, its client and the robot agent: paths
 * ({@link dev.wam4j.fleet.api.ApiPaths}), request and reply records per resource, and the live
 * events ({@link dev.wam4j.fleet.api.FleetEvent}). JSON field names are the records' components in
 * snake case.
 */
package dev.wam4j.fleet.api;
