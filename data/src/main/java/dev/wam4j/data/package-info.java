/** Episodes and datasets: zarr replay buffers, LeRobot datasets, video encode and decode. */
package dev.wam4j.data;
