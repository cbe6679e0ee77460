"""scikit-learn's own estimator checks over both estimators."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from seqkit import SequenceClassifier, SequenceRegressor

# Enough epochs for the checks that require a fair fit on tiny tabular data
# (check_classifiers_train wants training accuracy > 0.83, check_regressors_train R² > 0.5).
ESTIMATORS = [
    SequenceClassifier(units=16, epochs=60, learning_rate=0.01, random_state=0),
    SequenceRegressor(units=16, epochs=60, learning_rate=0.01, random_state=0),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
