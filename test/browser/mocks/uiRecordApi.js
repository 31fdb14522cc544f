/* global window */
// Wire adapter stand-in for lightning/uiRecordApi in the browser harness: it
// answers with the state the page was given (window.__CARD_STATE__.record),
// exactly as the LWC jest test data does (__tests__/data/*.json).
function emitter(key) {
  return class {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
    }
    connect() {
      const state = window.__CARD_STATE__ || {};
      const answer = state[key];
      if (answer === undefined || answer === 'pending') return;
      if (answer.error) this.dataCallback({ data: undefined, error: answer.error });
      else this.dataCallback({ data: answer, error: undefined });
    }
    update() {}
    disconnect() {}
  };
}

export const getRecord = emitter('record');
export { emitter };
