package dev.wam4j.fleet.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobDocumentParserTest {
  static final String EXAMPLE =
      """
      # Arrange the workshop
      Three pushes onto the mark, then one to the left.

      ## Push the T onto its mark
      - scene: pusht
      - count: 3
      Any other line under a step is a comment.

      ## Push it left
      - goal: 180, 256, 0.785
      - count: 1
      - max-steps: 200
      """;

  @Test
  void theExampleParsesIntoOrderedStepsWithDefaults() {
    JobDocument job = JobDocumentParser.parse(EXAMPLE);
    assertThat(job.title()).isEqualTo("Arrange the workshop");
    assertThat(job.description()).isEqualTo("Three pushes onto the mark, then one to the left.");
    assertThat(job.steps()).hasSize(2);
    JobDocument.Step first = job.steps().get(0), second = job.steps().get(1);
    assertThat(first.name()).isEqualTo("Push the T onto its mark");
    assertThat(first.line()).isEqualTo(4);
    assertThat(first.count()).isEqualTo(3);
    assertThat(first.goal()).isNull();
    assertThat(first.embodiment()).isEqualTo("robot");
    assertThat(first.maxSteps()).isEqualTo(300);
    assertThat(second.goal()).isEqualTo(new JobDocument.GoalPose(180, 256, 0.785));
    assertThat(second.maxSteps()).isEqualTo(200);
    assertThat(job.taskCount()).isEqualTo(4);
  }

  @Test
  void everyMistakeNamesItsLine() {
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- count: three\n"))
        .isInstanceOf(JobDocumentException.class)
        .hasMessage("line 3: count must be an integer, got 'three'");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n\n## Step\n- colour: red\n"))
        .hasMessageStartingWith("line 4: unknown key 'colour'");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- scene: kitchen\n"))
        .hasMessageStartingWith("line 3: unknown scene 'kitchen'");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- goal: 1, 2\n"))
        .hasMessageStartingWith("line 3: goal is 'x, y, angle'");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- goal: 100, 900, 0\n"))
        .hasMessageStartingWith("line 3: goal x, y must lie in the 512-pixel workspace");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- count: 2\n- count: 3\n"))
        .hasMessageStartingWith("line 4: 'count' given twice");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- count: 0\n"))
        .hasMessage("line 3: count must lie in 1..1000, got 0");
    assertThatThrownBy(() -> JobDocumentParser.parse("hello\n# Job\n"))
        .hasMessageStartingWith("line 1: text before the job's title");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n# Another\n"))
        .hasMessageStartingWith("line 2: a second title");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\nno steps here\n"))
        .hasMessageStartingWith("line 0: the job has no steps");
    assertThatThrownBy(() -> JobDocumentParser.parse("  \n"))
        .hasMessageStartingWith("line 0: the document is empty");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n### Deep\n"))
        .hasMessageStartingWith("line 2: '### Deep' is not");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- embodiment: dog\n"))
        .hasMessage("line 3: embodiment must be robot or hand, got 'dog'");
    assertThatThrownBy(() -> JobDocumentParser.parse("# Job\n## Step\n- success-score: -0.1\n"))
        .hasMessage("line 3: success-score must lie in [0, 1], got -0.1");
  }

  @Test
  void aSuccessScoreOfZeroMakesEveryTryCount() throws Exception {
    JobDocument job = JobDocumentParser.parse("# Collect\n## Push\n- success-score: 0\n");
    assertThat(job.steps().get(0).successScore()).isZero();
  }

  @Test
  void anOversizedDocumentIsRefusedBeforeParsing() {
    String huge = "# Job\n" + "x".repeat(JobDocumentParser.MAX_CHARS);
    assertThatThrownBy(() -> JobDocumentParser.parse(huge))
        .hasMessageContaining("more than " + JobDocumentParser.MAX_CHARS);
  }

  @Test
  void theReadmeExampleParsesWithItsComments() throws Exception {
    JobDocument job =
        JobDocumentParser.parse(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("../docs/examples/arrange-workshop.md")));
    assertThat(job.title()).isEqualTo("Arrange the workshop");
    assertThat(job.steps()).hasSize(2);
    assertThat(job.steps().get(0).count()).isEqualTo(3);
    assertThat(job.steps().get(0).successScore()).isEqualTo(0.5);
    assertThat(job.steps().get(1).goal()).isEqualTo(new JobDocument.GoalPose(180, 256, 0.785));
    assertThat(job.steps().get(1).maxSteps()).isEqualTo(200);
  }
}
