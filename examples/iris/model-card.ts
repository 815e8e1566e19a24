/** The model this example registers: its name and model card, shared by both pipelines and the scripts. */
export const MODEL_NAME = 'iris_classifier';

export const MODEL_CARD = {
  license: 'Apache 2.0',
  description: 'Classification model for the Iris dataset: a random forest over the four flower measurements.',
} as const;

/** Tags every trained version carries (tags given to a pipeline's Model go to the version it creates). */
export const VERSION_TAGS = ['classification', 'random-forest', 'iris'];
