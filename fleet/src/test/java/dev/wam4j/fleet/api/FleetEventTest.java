package dev.wam4j.fleet.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.TaskStatus;
import dev.wam4j.fleet.store.UploadStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetEventTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  @Test
  void eventsAreTheirFieldsInSnakeCaseAndWrappersAreTheRecordTheyWrap() throws Exception {
    assertThat(
            JSON.writeValueAsString(new FleetEvent.TaskChanged(7, 3, "r-1", TaskStatus.ASSIGNED)))
        .isEqualTo("{\"task_id\":7,\"job_id\":3,\"robot_id\":\"r-1\",\"status\":\"assigned\"}");
    Records.Job job = new Records.Job(3, "J", JobStatus.RUNNING, 10, null, 2, 0, 0, 1, 1);
    assertThat(JSON.readTree(JSON.writeValueAsString(new FleetEvent.JobChanged(job))))
        .isEqualTo(JSON.readTree(JSON.writeValueAsString(job)));
    assertThat(JSON.writeValueAsString(new FleetEvent.RobotsChanged(List.of()))).isEqualTo("[]");
    assertThat(new FleetEvent.DatasetBuilt("t", 1, 2, 0.1).eventName()).isEqualTo("dataset");
  }

  @Test
  void repliesReadBackIntoTheSameRecordsStatusesIncluded() throws Exception {
    UploadApi.Opened opened = new UploadApi.Opened(null, UploadStatus.DUPLICATE, 99, 5L);
    String text = JSON.writeValueAsString(opened);
    assertThat(text).contains("\"status\":\"duplicate\"").contains("\"upload_id\":null");
    assertThat(JSON.readValue(text, UploadApi.Opened.class)).isEqualTo(opened);
    assertThat(JSON.writeValueAsString(new UploadApi.Completed(null, null, true)))
        .isEqualTo("{\"duplicate\":true}");
  }
}
