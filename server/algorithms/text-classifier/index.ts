/**
 * The text classifier: Chinese citizen messages → level-1 category with a
 * calibrated confidence, and a level-2/3 path where cue words support one.
 * Pure computation on bytes and strings; reading files, caching the default
 * model and the CLI live in the voices module. See docs/classifier.md.
 *
 * @example
 * const { bytes } = trainClassifier(examples, { taxonomy, seed: 1 });
 * const classifier = loadClassifier(bytes);
 * classifyMessage(classifier, { title: '小区噪音扰民', body: '…' });
 */
export { loadClassifier, classifyMessage, predictLabel, inspectText, type Classifier, type Classification, type InputWarning } from './classifier.ts';
export { trainClassifier, TrainingDataError, type TrainingExample, type TrainingOptions, type TrainingReport, type TrainedModel } from './train.ts';
export { ModelFileError, MAGIC as MODEL_MAGIC, FORMAT_VERSION as MODEL_FORMAT_VERSION } from './model-file.ts';
export { evaluate, type Evaluation, type ClassScores } from './metrics.ts';
export { calibrationReport, type CalibrationReport, type ReliabilityBin } from './calibration.ts';
export { DEFAULT_FEATURES, HUGE_TEXT_CHARS, type ClassifierInput, type FeatureConfig } from './features.ts';
