package dev.wam4j.fleet.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.RobotState;
import dev.wam4j.fleet.store.TaskStatus;
import java.util.List;

/**
 * A live event of the fleet, sent to listeners as a server-sent event named {@link #eventName()}
 * whose data is the record as JSON.
 */
public sealed interface FleetEvent {
  /** The server-sent event's name (what a dashboard listens for). */
  String eventName();

  /** Every robot, sent first to a new listener. */
  record Hello(List<Records.Robot> robots) implements FleetEvent {
    public String eventName() {
      return "hello";
    }
  }

  /** A robot was enrolled, connected or revoked. */
  record RobotChanged(String robotId, RobotState state) implements FleetEvent {
    public String eventName() {
      return "robot";
    }
  }

  /** Robots went offline for silence: every robot as it is now. */
  record RobotsChanged(@JsonValue List<Records.Robot> robots) implements FleetEvent {
    public String eventName() {
      return "robots";
    }
  }

  /** A telemetry message as the robot sent it, with its {@code robot_id}. */
  record StateReceived(@JsonValue ObjectNode report) implements FleetEvent {
    public String eventName() {
      return "state";
    }
  }

  /** A task was assigned, or ended. */
  record TaskChanged(long taskId, long jobId, String robotId, TaskStatus status)
      implements FleetEvent {
    public String eventName() {
      return "task";
    }
  }

  /** A job was submitted, progressed, ended or was cancelled. */
  record JobChanged(@JsonValue Records.Job job) implements FleetEvent {
    public String eventName() {
      return "job";
    }
  }

  /** A build was submitted, a placement in it ended, or the build ended. */
  record BuildChanged(long buildId, JobStatus status, int partsPlaced, int partsTotal)
      implements FleetEvent {
    public String eventName() {
      return "build";
    }
  }

  /** A robot raised an alert. */
  record AlertRaised(long alertId, String robotId, String kind, String message)
      implements FleetEvent {
    public String eventName() {
      return "alert";
    }
  }

  /** An upload was set aside. */
  record Quarantined(@JsonValue Records.Quarantined upload) implements FleetEvent {
    public String eventName() {
      return "quarantine";
    }
  }

  /** An episode was kept. */
  record EpisodeKept(long episodeId, String robotId, String task, int frames)
      implements FleetEvent {
    public String eventName() {
      return "episode";
    }
  }

  /** An episode was deleted. */
  record EpisodeDeleted(long episodeId, boolean deleted) implements FleetEvent {
    public String eventName() {
      return "episode";
    }
  }

  /** A task's dataset was rebuilt. */
  record DatasetBuilt(String task, int episodes, long frames, double hours) implements FleetEvent {
    public String eventName() {
      return "dataset";
    }
  }

  /** The data flywheel started fine-tuning for a task (its output in {@code log}). */
  record FinetuneTriggered(String task, double hours, String command, String log)
      implements FleetEvent {
    public String eventName() {
      return "flywheel";
    }
  }

  /** The data flywheel could not rebuild a task's dataset. */
  record FlywheelFailed(String task, String error) implements FleetEvent {
    public String eventName() {
      return "flywheel";
    }
  }

  /** A model version was registered. */
  record ModelAdded(String name, int version) implements FleetEvent {
    public String eventName() {
      return "model";
    }
  }

  /** A deployment was made, promoted or rolled back. */
  record DeploymentChanged(@JsonValue Records.Deployment deployment) implements FleetEvent {
    public String eventName() {
      return "deployment";
    }
  }
}
