"""myodeck's terminal quiz: spaced-repetition self-study and classroom quizzes."""
