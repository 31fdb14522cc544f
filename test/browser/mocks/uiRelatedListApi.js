// lightning/uiRelatedListApi stand-in: answers with window.__CARD_STATE__.history.
import { emitter } from 'lightning/uiRecordApi';

export const getRelatedListRecords = emitter('history');
