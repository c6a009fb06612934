# NLU accuracy regression gates: `daiban nlu eval` must stay at or above a threshold just under
# the accuracy reached when these were set (eval exits 1 below --min-accuracy). The shared
# development sets were 1.0 (nlu_dev) and 1.0 (time_dev); the probe sets in tests/data were
# written by the NLU author apart from the training examples and are kept as extra coverage.
set(DAIBAN_NLU_TENANT ${PROJECT_SOURCE_DIR}/deploy/tenants/demo)
add_test(NAME nlu_eval_dev
  COMMAND daiban nlu eval ${DAIBAN_TEST_DATA_DIR}/nlu_dev.jsonl
          --now 2026-11-18T10:00:00+08:00 --tenant ${DAIBAN_NLU_TENANT} --min-accuracy 0.98)
add_test(NAME nlu_eval_time_dev
  COMMAND daiban nlu eval ${DAIBAN_TEST_DATA_DIR}/time_dev.jsonl
          --now 2013-02-12T04:30:00-02:00 --tenant ${DAIBAN_NLU_TENANT} --min-accuracy 0.98)
# The probe sets were written apart from any training data. Since the classifier also learns
# from the corpus (below) it reaches 0.94 on nlu_probe (it was tuned on nothing else before).
add_test(NAME nlu_eval_probe
  COMMAND daiban nlu eval ${CMAKE_CURRENT_SOURCE_DIR}/data/nlu_probe.jsonl
          --now 2026-11-18T10:00:00+08:00 --tenant ${DAIBAN_NLU_TENANT} --min-accuracy 0.92)
add_test(NAME nlu_eval_probe2
  COMMAND daiban nlu eval ${CMAKE_CURRENT_SOURCE_DIR}/data/nlu_probe2.jsonl
          --now 2026-11-18T10:00:00+08:00 --tenant ${DAIBAN_NLU_TENANT} --min-accuracy 0.95)
# The labelled corpus (bot/nlu/data/corpus/): trained on its train split, measured on its test
# split — 0.897 of rows with every field right on 2026-12-04; the gate is that less a margin.
add_test(NAME nlu_eval_corpus_test
  COMMAND daiban nlu eval ${PROJECT_SOURCE_DIR}/bot/nlu/data/corpus/test.jsonl
          --tenant ${DAIBAN_NLU_TENANT} --min-accuracy 0.87)
# The training form of the corpus is generated and committed; it must match the corpus.
add_test(NAME nlu_corpus_training_current
  COMMAND python3 ${PROJECT_SOURCE_DIR}/bot/nlu/data/corpus/to_training.py --check)
set_tests_properties(nlu_eval_corpus_test nlu_corpus_training_current PROPERTIES LABELS unit TIMEOUT 120)
set_tests_properties(nlu_eval_dev nlu_eval_time_dev nlu_eval_probe nlu_eval_probe2
  PROPERTIES LABELS unit TIMEOUT 120)
